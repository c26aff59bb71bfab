/**
 * The tasks: each is a plain function that Celerity runs as a Temporal activity named after it.
 * `detect_anomalies` checks one sensor's readings; `summarize_anomalies` (a chord body) gets
 * the list of every sensor's report.
 */
import { defineTask } from 'celerity';

export interface Anomaly {
  /** Position of the reading in the batch. */
  index: number;
  value: number;
  /** How many standard deviations from the mean. */
  zScore: number;
}

export interface SensorReport {
  sensor: string;
  count: number;
  mean: number;
  anomalies: Anomaly[];
}

export interface ScanSummary {
  sensors: number;
  readings: number;
  anomalies: number;
  /** Sensors with at least one anomaly, most anomalous first. */
  alerts: string[];
}

/** Readings further than `threshold` standard deviations from the batch's mean are anomalies. */
export const detectAnomalies = defineTask(
  'detect_anomalies',
  { params: ['sensor', 'readings', 'threshold'], timeLimit: 60 },
  (sensor: string, readings: number[], threshold = 2): SensorReport => {
    if (!Array.isArray(readings) || readings.some((r) => typeof r !== 'number')) {
      throw new TypeError(`readings of ${sensor} must be a list of numbers`);
    }
    const mean = readings.reduce((sum, r) => sum + r, 0) / (readings.length || 1);
    const stdev = Math.sqrt(readings.reduce((sum, r) => sum + (r - mean) ** 2, 0) / (readings.length || 1));
    const anomalies = readings
      .map((value, index) => ({ index, value, zScore: stdev ? Math.abs(value - mean) / stdev : 0 }))
      .filter((reading) => reading.zScore > threshold);
    return { sensor, count: readings.length, mean, anomalies };
  },
);

/** The chord body: one summary of every sensor's report. */
export const summarizeAnomalies = defineTask(
  'summarize_anomalies',
  { params: ['reports'] },
  (reports: SensorReport[]): ScanSummary => ({
    sensors: reports.length,
    readings: reports.reduce((sum, r) => sum + r.count, 0),
    anomalies: reports.reduce((sum, r) => sum + r.anomalies.length, 0),
    alerts: reports
      .filter((r) => r.anomalies.length > 0)
      .sort((a, b) => b.anomalies.length - a.anomalies.length)
      .map((r) => r.sensor),
  }),
);
