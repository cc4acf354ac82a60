// The Node.js client of the conformance suite: https.get(url, {ca}) as an application does.
// Usage: node probe.js JOBS.json — one JSON line per job: {"id", "accepted", "detail", "text"};
// `text` is util.inspect(error), what Node prints for an uncaught error. Only the name lookup
// is replaced (every name of a job resolves to the lab address); the TLS checks are Node's own.
'use strict';
const fs = require('fs');
const https = require('https');
const util = require('util');

function one(job) {
  return new Promise((resolve) => {
    const family = job.address.includes(':') ? 6 : 4;
    const lookup = (hostname, options, cb) => {
      if (typeof options === 'function') { cb = options; options = {}; }
      if (options && options.all) cb(null, [{ address: job.address, family }]);
      else cb(null, job.address, family);
    };
    const opts = { ca: fs.readFileSync(job.ca), agent: false, lookup, timeout: 10000 };
    const req = https.get(job.url, opts, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ id: job.id, accepted: res.statusCode === 200 && body === 'hello', detail: `HTTP ${res.statusCode}`, text: '' }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ id: job.id, accepted: false, detail: `${e.code || e.name}: ${e.message}`, text: util.inspect(e, { depth: 0 }) }));
  });
}

(async () => {
  const jobs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  for (const job of jobs) console.log(JSON.stringify(await one(job)));
})();
