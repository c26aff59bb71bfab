/**
 * The app's own workflow code. It runs in Temporal's deterministic sandbox, so it imports
 * `celerity/workflow` only (never `celerity`, which talks to the network).
 */
import { chord, runCanvas, signature } from 'celerity/workflow';

export interface ScanInput {
  /** Sensor id → its batch of readings. */
  readings: Record<string, number[]>;
  threshold?: number;
}

/** A chord: every sensor checked in parallel (the header), then one summary (the body). */
export async function scanSensors({ readings, threshold = 2 }: ScanInput): Promise<unknown> {
  return runCanvas(
    chord(
      Object.entries(readings).map(([sensor, values]) => signature('detect_anomalies', [sensor, values, threshold])),
      signature('summarize_anomalies'),
    ),
  );
}
