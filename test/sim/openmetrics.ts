import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { formatLabels } from './exposition.js';
import { storedLabels, type SeriesSink, type SimSeries } from './series.js';
import type { Timeline } from './timeline.js';

const chunkSize = 8 << 20;

/**
 * Writes series as OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`: each series
 * with all its samples in time order. No TYPE lines: the TSDB keeps no metadata from a backfill,
 * and OpenMetrics would demand a `_total` suffix on counters that MetalLB exposes without one.
 *
 * The text runs to gigabytes at 1,000 nodes, and promtool reads it far slower than it is written,
 * so it is cut into parts of about `partBytes`: each finished part is handed to `onPart` (which
 * starts its backfill) while the next is written. Lines go straight into a byte buffer.
 */
export class OpenMetricsParts implements SeriesSink {
  private readonly chunk = Buffer.allocUnsafe(chunkSize);
  private used = 0;
  private fd: number | undefined;
  private part = 0;
  private partWritten = 0;
  /** ` <timestamp>\n` per tick. */
  private readonly stamps: Buffer[];
  series = 0;
  samples = 0;
  bytes = 0;

  constructor(
    private readonly dir: string,
    timeline: Timeline,
    private readonly partBytes: number,
    private readonly onPart: (path: string) => void,
  ) {
    this.stamps = Array.from({ length: timeline.ticks }, (_, t) => Buffer.from(` ${timeline.start + t * timeline.step}\n`));
  }

  add(series: SimSeries): void {
    const values = series.values;
    const prefix = Buffer.from(`${series.name}${formatLabels(storedLabels(series))} `);
    let written = 0;
    for (let t = 0; t < values.length; t++) {
      const v = values[t] as number;
      if (Number.isNaN(v)) continue;
      const stamp = this.stamps[t] as Buffer;
      if (this.used + prefix.length + 32 + stamp.length > chunkSize) this.flush();
      this.used += prefix.copy(this.chunk, this.used);
      this.used += this.chunk.write(String(v), this.used, 'latin1');
      this.used += stamp.copy(this.chunk, this.used);
      written++;
    }
    if (written === 0) return;
    this.series++;
    this.samples += written;
    // Cut only between series: promtool needs each series' samples in order within one file.
    if (this.partWritten + this.used >= this.partBytes) this.finishPart();
  }

  close(): void {
    if (this.fd !== undefined || this.used > 0) this.finishPart();
  }

  private path(): string {
    return join(this.dir, `part-${String(this.part).padStart(3, '0')}.om`);
  }

  private flush(): void {
    this.fd ??= openSync(this.path(), 'w');
    writeSync(this.fd, this.chunk, 0, this.used);
    this.bytes += this.used;
    this.partWritten += this.used;
    this.used = 0;
  }

  private finishPart(): void {
    this.used += this.chunk.write('# EOF\n', this.used, 'latin1');
    this.flush();
    closeSync(this.fd as number);
    this.onPart(this.path());
    this.fd = undefined;
    this.partWritten = 0;
    this.part++;
  }
}
