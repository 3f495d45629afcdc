/**
 * Everything the end-to-end test runs, wired together: simulated installations, the real Prometheus
 * scraping them with the generated rule files, a stand-in Alertmanager, and the alert recorder.
 * The rules are loaded only once every target is up and has a few samples, so no alert sees the
 * empty TSDB of the first seconds (when every "target missing" condition is briefly true).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertReceiver } from './alert-receiver.js';
import { AlertRecorder } from './alert-recorder.js';
import { startPrometheus, waitFor, type PrometheusServer } from './prometheus.js';
import type { MetalLBSimulator } from './simulator.js';

export interface StackOptions {
  /** Rule files by name (e.g. `prometheus_alerts.yaml` → content). */
  readonly ruleFiles: ReadonlyMap<string, string>;
  /** Name of the first phase the recorder tags. */
  readonly firstPhase: string;
}

export class Stack {
  private constructor(
    readonly sims: readonly MetalLBSimulator[],
    readonly prom: PrometheusServer,
    readonly receiver: AlertReceiver,
    readonly recorder: AlertRecorder,
    private readonly ruleDir: string,
    /** When the rules were loaded (ms since the epoch). */
    readonly rulesLoadedAt: number,
  ) {}

  /**
   * Start Prometheus on the simulators' targets, wait for every target to be up with at least two
   * samples, then load the rule files and start recording alerts. If a step fails, everything it
   * started is stopped; the simulators stay the caller's to stop (as `stop()` does on success).
   */
  static async start(sims: readonly MetalLBSimulator[], opts: StackOptions): Promise<Stack> {
    const ruleDir = mkdtempSync(join(tmpdir(), 'metallb-mixin-rules-'));
    const receiver = await AlertReceiver.start().catch((err: unknown) => {
      rmSync(ruleDir, { recursive: true, force: true });
      throw err;
    });
    let prom: PrometheusServer | undefined;
    try {
      prom = await startPrometheus({
        scrapeConfigs: sims.flatMap((s) => s.scrapeConfigs()),
        ruleFiles: [join(ruleDir, '*.yaml')],
        alertmanagerUrl: receiver.url,
        lifecycle: true,
      });
      const running = prom;
      await running.waitForTargetsUp(sims.reduce((n, s) => n + s.targets().length, 0));
      // Two samples per counter so rate() answers from the first evaluation on.
      await waitFor(async () => (await running.queryVector('count_over_time(up[1m]) < 3')).length === 0, {
        what: 'three scrapes of every target',
        timeoutMs: 15_000,
      });
      for (const [name, content] of opts.ruleFiles) writeFileSync(join(ruleDir, name), content);
      await running.reload();
      const loadedAt = Date.now();
      await waitFor(async () => (await running.rules()).length > 0, { what: 'rule groups loaded', timeoutMs: 10_000 });
      const recorder = new AlertRecorder(running);
      recorder.start(opts.firstPhase);
      await running.waitForEvaluations(2);
      return new Stack(sims, running, receiver, recorder, ruleDir, loadedAt);
    } catch (err) {
      await prom?.stop().catch(() => undefined);
      await receiver.stop().catch(() => undefined);
      rmSync(ruleDir, { recursive: true, force: true });
      throw err;
    }
  }

  /** Stop everything, whatever state it is in; never throws. */
  async stop(): Promise<void> {
    await this.recorder.stop().catch(() => undefined);
    await this.prom.stop().catch(() => undefined);
    await this.receiver.stop().catch(() => undefined);
    for (const sim of this.sims) await sim.stop().catch(() => undefined);
    rmSync(this.ruleDir, { recursive: true, force: true });
  }
}
