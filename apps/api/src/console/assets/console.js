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

  // A framed page that focuses itself (OHIF does once it has rendered the study) must not take a
  // keyboard user's place in the form beside it (WCAG 3.2.1, no change of context on focus). Focus
  // that moves into such a frame [data-keep-focus] without the pointer over it and without a Tab
  // just before goes back to where it was; a click in the frame or a Tab into it is left alone.
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
        if (document.activeElement === frame && !pointerOver && Date.now() - lastTab > 500 && lastFocus && lastFocus.isConnected) lastFocus.focus();
      }, 0);
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('iframe[data-keep-focus]').forEach(keepFocusFrom);
    document.querySelectorAll('[data-live-events]').forEach(live);
    document.body.setAttribute('data-live-ready', 'true');
  });
})();
