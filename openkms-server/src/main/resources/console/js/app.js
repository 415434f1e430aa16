// The console's shell: sign-in, navigation, and one page module per route (#/keys, #/keys/<id>, ...).
import { call, credentials, saveCredentials, forgetCredentials, STS } from './api.js';
import { clear, h, showError } from './ui.js';
import * as dashboard from './pages/dashboard.js';
import * as keys from './pages/keys.js';
import * as keyDetail from './pages/key-detail.js';
import * as secrets from './pages/secrets.js';
import * as secretDetail from './pages/secret-detail.js';
import * as ram from './pages/ram.js';
import * as accessPoints from './pages/access-points.js';
import * as instance from './pages/instance.js';
import * as audit from './pages/audit.js';

const routes = [
  [/^\/dashboard$/, dashboard, 'dashboard'],
  [/^\/keys$/, keys, 'keys'],
  [/^\/keys\/(.+)$/, keyDetail, 'keys'],
  [/^\/secrets$/, secrets, 'secrets'],
  [/^\/secrets\/(.+)$/, secretDetail, 'secrets'],
  [/^\/ram$/, ram, 'ram'],
  [/^\/access-points$/, accessPoints, 'access-points'],
  [/^\/instance$/, instance, 'instance'],
  [/^\/audit$/, audit, 'audit'],
];

let leave = null; // the current page's clean-up (timers)

async function route() {
  if (!credentials()) {
    showSignIn();
    return;
  }
  document.getElementById('signin').hidden = true;
  document.getElementById('app').hidden = false;
  const path = (location.hash || '#/dashboard').slice(1);
  const match = routes.find(([re]) => re.test(path));
  if (!match) {
    location.hash = '#/dashboard';
    return;
  }
  const [re, page, nav] = match;
  const args = (path.match(re) || []).slice(1).map(decodeURIComponent);
  for (const a of document.querySelectorAll('.sidebar a')) a.classList.toggle('active', a.dataset.page === nav);
  if (leave) {
    leave();
    leave = null;
  }
  const main = clear(document.getElementById('main'));
  const view = h('div', { class: 'page', 'data-page': nav });
  main.append(view);
  try {
    leave = (await page.render(view, ...args)) || null;
  } catch (e) {
    showError(e, view);
  }
}

function showSignIn() {
  document.getElementById('app').hidden = true;
  document.getElementById('signin').hidden = false;
  document.getElementById('signin-id').focus();
}

async function signIn(ev) {
  ev.preventDefault();
  const id = document.getElementById('signin-id').value.trim();
  const secret = document.getElementById('signin-secret').value;
  const error = document.getElementById('signin-error');
  const submit = document.getElementById('signin-submit');
  error.hidden = true;
  submit.disabled = true;
  try {
    // The credentials are checked by one signed call before they are kept.
    const who = await call('GetCallerIdentity', {}, STS, { accessKeyId: id, accessKeySecret: secret });
    saveCredentials(id, secret);
    sessionStorage.setItem('openkms.console.who', who.Arn || who.IdentityType || id);
    document.getElementById('signin-secret').value = '';
    showWho();
    if (!location.hash) location.hash = '#/dashboard';
    await route();
  } catch (e) {
    error.textContent = e.code ? `${e.code}: ${e.detail}` : String(e);
    error.hidden = false;
  } finally {
    submit.disabled = false;
  }
}

function showWho() {
  const c = credentials();
  document.getElementById('who').textContent = c ? `${sessionStorage.getItem('openkms.console.who') || ''} (${c.accessKeyId})` : '';
}

function signOut() {
  forgetCredentials();
  sessionStorage.removeItem('openkms.console.who');
  if (leave) {
    leave();
    leave = null;
  }
  clear(document.getElementById('main'));
  showSignIn();
}

document.getElementById('signin-form').addEventListener('submit', signIn);
document.getElementById('signout').addEventListener('click', signOut);
window.addEventListener('hashchange', route);
showWho();
route();
