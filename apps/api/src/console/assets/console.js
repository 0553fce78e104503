/* global document, window, EventSource, htmx */
// Krypton console: the little the pages need beyond htmx. No build step, no framework.
(function () {
  'use strict';
  // An error, a warning or a confirmation swapped in gets the focus, so a keyboard or
  // screen-reader user lands on it (role="alert" also announces it).
  document.addEventListener('htmx:afterSwap', function (e) {
    var target = e.detail && e.detail.target;
    var focus = null;
    if (target && target.id === 'console-alert' && target.firstElementChild) {
      target.setAttribute('tabindex', '-1');
      focus = target;
    } else if (target) {
      focus = (target.matches && target.matches('[data-autofocus]') ? target : null) || (target.querySelector && target.querySelector('[data-autofocus]'));
      if (!focus && target.isConnected === false) focus = document.querySelector('[data-autofocus]');
    }
    if (focus) focus.focus();
  });
  // The time of the page's last own request: an action's answer (often a redirect) must not race
  // the live reload its own change triggers.
  var lastOwnRequest = 0;
  document.addEventListener('htmx:beforeRequest', function () {
    lastOwnRequest = Date.now();
    var alert = document.getElementById('console-alert');
    if (alert) alert.innerHTML = '';
  });

  // Live updates: the server pushes the ids of changed requests (server-sent events); the page
  // reloads its list through the ordinary route (data-live-target gets a "live-refresh" event),
  // or reloads itself when the request it shows changed (data-live-reload="<id>").
  function live(el) {
    var source = new EventSource(el.getAttribute('data-live-events'));
    var timer = null;
    var refresh = function (id) {
      var reload = el.getAttribute('data-live-reload');
      if (reload) {
        if (id !== reload && id !== null) return;
        clearTimeout(timer);
        timer = setTimeout(function () {
          if (Date.now() - lastOwnRequest > 3000) window.location.reload();
        }, 500);
        return;
      }
      clearTimeout(timer);
      // Several steps of one pathway arrive together: one reload for the burst.
      timer = setTimeout(function () {
        var target = document.querySelector(el.getAttribute('data-live-target'));
        if (target) htmx.trigger(target, 'live-refresh');
      }, 300);
    };
    source.addEventListener('request', function (e) {
      refresh(e.data);
    });
    source.addEventListener('resync', function () {
      refresh(null);
    });
    window.addEventListener('pagehide', function () {
      source.close();
    });
  }

  // A framed page that focuses itself (OHIF does once it has rendered the study, and may again
  // later) must not take a keyboard user's place in the form beside it (WCAG 3.2.1, no change of
  // context on focus). Focus that moves into such a frame [data-keep-focus] goes back to where it
  // was unless the pointer is over the frame (a click) or a Tab just pressed came from the frame's
  // neighbour in the tab order (a Tab into it): a Tab pressed elsewhere in the form while the
  // viewer takes the focus is not a move into the frame.
  var TABBABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), iframe, [tabindex]';
  function tabNeighbours(a, b) {
    var order = Array.prototype.filter.call(document.querySelectorAll(TABBABLE), function (el) {
      return el.tabIndex >= 0 && el.getClientRects().length > 0;
    });
    var i = order.indexOf(a);
    var j = order.indexOf(b);
    return i >= 0 && j >= 0 && Math.abs(i - j) === 1;
  }
  function keepFocusFrom(frame) {
    var pointerOver = false;
    var lastTab = 0;
    var lastFocus = null;
    frame.addEventListener('mouseenter', function () {
      pointerOver = true;
    });
    frame.addEventListener('mouseleave', function () {
      pointerOver = false;
    });
    document.addEventListener(
      'keydown',
      function (e) {
        if (e.key === 'Tab') lastTab = Date.now();
      },
      true,
    );
    document.addEventListener('focusin', function (e) {
      if (e.target !== frame) lastFocus = e.target;
    });
    window.addEventListener('blur', function () {
      setTimeout(function () {
        if (document.activeElement !== frame || pointerOver || !lastFocus || !lastFocus.isConnected) return;
        if (Date.now() - lastTab <= 500 && tabNeighbours(frame, lastFocus)) return;
        lastFocus.focus();
      }, 0);
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('iframe[data-keep-focus]').forEach(keepFocusFrom);
    document.querySelectorAll('[data-live-events]').forEach(live);
    document.body.setAttribute('data-live-ready', 'true');
  });
})();
