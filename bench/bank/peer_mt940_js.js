// Peer: npm mt940-js reading the whole MT940 file, counting transactions.
const fs = require('fs');
const mt940 = require('mt940-js');
const t0 = process.hrtime.bigint();
const data = fs.readFileSync(process.argv[2]);
mt940.read(data).then((statements) => {
  let n = 0;
  for (const s of statements) n += s.transactions.length;
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`mt940-js entries=${n} seconds=${secs.toFixed(3)} entries/s=${Math.round(n / secs)}`);
}).catch((e) => { console.error(e); process.exit(2); });
