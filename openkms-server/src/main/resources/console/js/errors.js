// Every uncaught error and unhandled rejection of the page, kept for the browser tests (and shown in the console).
window.__consoleErrors = [];
window.addEventListener('error', (e) => {
  window.__consoleErrors.push(String(e.message || e.error || 'error') + ' at ' + (e.filename || '?') + ':' + (e.lineno || 0));
});
window.addEventListener('unhandledrejection', (e) => {
  const r = e.reason;
  window.__consoleErrors.push('unhandled rejection: ' + (r && r.stack ? r.stack : String(r)));
});
