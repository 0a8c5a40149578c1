// What the browser tests share: the server's base URL, PASS/FAIL
// reporting, a whole-run time limit, the same-origin check, and the way
// Chromium is started here (headless, no network beyond the server).

/** baseURL is the server's address from the command line (or
 * $ONEMAP_URL), with a trailing slash. */
export function baseURL(arg) {
  const a = arg || process.env.ONEMAP_URL || 'http://localhost:8080';
  return new URL(a.endsWith('/') ? a : `${a}/`);
}

/** report prints one PASS/FAIL line per check and counts the failures. */
export function report() {
  const r = { failures: 0 };
  r.pass = (msg) => console.log(`PASS ${msg}`);
  r.fail = (msg) => { r.failures++; console.log(`FAIL ${msg}`); };
  r.info = (msg) => console.log(`     ${msg}`);
  r.check = (ok, msg, detail) => { if (ok) r.pass(msg); else r.fail(detail ? `${msg}: ${detail}` : msg); return ok; };
  /** end prints the verdict and exits: status 1 on any failure. */
  r.end = (label) => {
    console.log(r.failures ? `${label}: FAIL (${r.failures} failed)` : `${label}: PASS`);
    process.exit(r.failures ? 1 : 0);
  };
  return r;
}

/** limit gives up the whole run after minutes: a hung browser must not
 * hang CI. */
export function limit(minutes, label) {
  setTimeout(() => {
    console.log(`FAIL ${label}: took longer than ${minutes} minutes, giving up`);
    process.exit(1);
  }, minutes * 60 * 1000).unref();
}

/** sameOrigin tells whether a URL is the server's own (or in-page
 * data:/blob:/about:), the only ones the pages may load. */
export function sameOrigin(base) {
  return (url) => {
    if (url.startsWith('data:') || url.startsWith('blob:') || url.startsWith('about:')) return true;
    try {
      return new URL(url).origin === base.origin;
    } catch {
      return false;
    }
  };
}

/** chromiumOptions are the launch options of Debian's Chromium here. */
export function chromiumOptions() {
  return {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--enable-unsafe-swiftshader', '--use-angle=swiftshader'],
    timeout: 60000,
  };
}
