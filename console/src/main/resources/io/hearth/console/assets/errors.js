// Records every JavaScript error of the page (uncaught errors, rejected promises nobody handled, scripts or styles
// that failed to load, console.error) in window.__hearthErrors, and shows it at the top of the page: a broken
// console says so instead of showing half a page. The browser tests read the list after every step.
(function () {
  'use strict';
  var errors = [];
  window.__hearthErrors = errors;

  function show(text) {
    var box = document.getElementById('fatal');
    if (!box) {
      return;
    }
    var line = document.createElement('div');
    line.textContent = 'Console error: ' + text;
    box.appendChild(line);
    box.hidden = false;
  }

  function record(text) {
    errors.push(String(text));
    show(text);
  }

  window.addEventListener('error', function (e) {
    if (e.target && e.target !== window && (e.target.src || e.target.href)) {
      record('could not load ' + (e.target.src || e.target.href));
      return;
    }
    var where = e.filename ? ' (' + e.filename + ':' + e.lineno + ')' : '';
    record((e.error && e.error.stack) || (e.message + where));
  }, true);

  window.addEventListener('unhandledrejection', function (e) {
    var r = e.reason;
    record('unhandled rejection: ' + ((r && (r.stack || r.message)) || r));
  });

  var consoleError = console.error;
  console.error = function () {
    record(Array.prototype.map.call(arguments, String).join(' '));
    return consoleError.apply(console, arguments);
  };
})();
