// A one-line progress report with a rows/s rate, for long-running script phases. On a terminal the line is
// rewritten in place; in a log file or CI (not a TTY) a carriage return would pile up, so it prints a new line
// at every 10% instead.

const fmt = new Intl.NumberFormat("en-US");

export function formatCount(n) {
  return fmt.format(Math.round(n));
}

export function createProgress(label, total, stream = process.stdout) {
  const started = performance.now();
  const tty = Boolean(stream.isTTY);
  let done = 0;
  let lastDecile = 0;
  let lastDraw = 0;

  const rate = () => done / Math.max((performance.now() - started) / 1000, 1e-3);
  const line = () => {
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    return `  ${label.padEnd(8)} ${formatCount(done).padStart(11)} / ${formatCount(total)}  ${String(pct).padStart(3)}%  ${formatCount(rate())} rows/s`;
  };

  return {
    add(n) {
      done += n;
      if (tty) {
        // Redrawing on every batch is cheap, but 10 redraws a second is all a person can read.
        const now = performance.now();
        if (now - lastDraw > 100 || done >= total) {
          stream.write(`\r${line()}\x1b[K`);
          lastDraw = now;
        }
      } else {
        const decile = total > 0 ? Math.floor((done / total) * 10) : 10;
        if (decile > lastDecile && decile < 10) {
          stream.write(`${line()}\n`);
          lastDecile = decile;
        }
      }
    },
    /** Prints the final line for this phase and returns its elapsed milliseconds. */
    finish() {
      const elapsed = performance.now() - started;
      stream.write(`${tty ? "\r" : ""}${line()}  (${(elapsed / 1000).toFixed(1)}s)${tty ? "\x1b[K" : ""}\n`);
      return elapsed;
    },
  };
}
