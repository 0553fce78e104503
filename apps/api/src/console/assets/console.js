/* global document */
// Krypton console: the little the pages need beyond htmx. No build step, no framework.
(function () {
  'use strict';
  // An error or a confirmation swapped into the alert region gets the focus, so a keyboard or
  // screen-reader user lands on it (role="alert" also announces it).
  document.addEventListener('htmx:afterSwap', function (e) {
    var target = e.detail && e.detail.target;
    if (target && target.id === 'console-alert' && target.firstElementChild) {
      target.setAttribute('tabindex', '-1');
      target.focus();
    }
  });
  // Before a new request is sent, the previous alert is cleared.
  document.addEventListener('htmx:beforeRequest', function () {
    var alert = document.getElementById('console-alert');
    if (alert) alert.innerHTML = '';
  });
})();
