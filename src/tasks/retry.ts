/**
 * Celery's retry decisions for a task's own errors (autoretry_for, self.retry, max_retries,
 * backoff). Pure: the worker applies them after an attempt fails; Temporal carries out the
 * retry durably after the delay decided here.
 */
import type { RetryRule } from './options.js';

/** What a task's `retry()` asks for (Celery's `self.retry(countdown=, exc=, max_retries=)`). */
export interface RetryRequestOptions {
  countdown?: number;
  exc?: Error;
  maxRetries?: number | null;
}

/**
 * Thrown by `currentTask().retry()` (Celery's `celery.exceptions.Retry`): the worker turns it
 * into a retry or a final failure.
 */
export class Retry extends Error {
  override name = 'Retry';
  constructor(readonly options: RetryRequestOptions) {
    super(options.exc ? `Retry in ${options.countdown ?? 'default'}s: ${options.exc.message}` : 'Retry requested');
  }
}

/** Celery raises this when a task asks to retry past max_retries without an `exc`. */
export class MaxRetriesExceededError extends Error {
  override name = 'MaxRetriesExceededError';
}

export type RetryDecision =
  | { retry: true; delayS: number; error: Error }
  | { retry: false; error: Error };

/** Decides, after attempt number `retries + 1` failed with `error`, whether to run again. */
export function decideRetry(
  error: unknown,
  rule: RetryRule,
  retries: number,
  describeCall: () => string,
  random: () => number = Math.random,
): RetryDecision {
  if (error instanceof Retry) {
    const { countdown, exc, maxRetries = rule.maxRetries } = error.options;
    if (maxRetries !== null && retries >= maxRetries) {
      return { retry: false, error: exc ?? new MaxRetriesExceededError(`Can't retry ${describeCall()}: max_retries (${maxRetries}) exceeded`) };
    }
    return { retry: true, delayS: countdown ?? rule.defaultRetryDelayS, error: exc ?? error };
  }
  const failure = error instanceof Error ? error : new Error(String(error));
  const types = errorTypes(failure);
  const auto = rule.autoretryFor.some((t) => types.includes(t)) && !rule.dontAutoretryFor.some((t) => types.includes(t));
  if (!auto || (rule.maxRetries !== null && retries >= rule.maxRetries)) return { retry: false, error: failure };
  return { retry: true, delayS: autoretryDelayS(rule, retries, random), error: failure };
}

/** Celery's countdown for an automatic retry: exponential backoff with full jitter, or the default delay. */
export function autoretryDelayS(rule: RetryRule, retries: number, random: () => number = Math.random): number {
  if (!rule.retryBackoff) return rule.defaultRetryDelayS;
  const countdown = Math.min(rule.retryBackoffMaxS, rule.retryBackoff * 2 ** retries);
  return rule.retryJitter ? random() * countdown : countdown;
}

/** The error's class and its ancestors' names, so `autoretry_for: ['Error']` matches like `Exception`. */
export function errorTypes(error: Error): string[] {
  const names = new Set<string>([error.name]);
  for (let proto = Object.getPrototypeOf(error); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    if (proto.constructor?.name) names.add(proto.constructor.name);
  }
  return [...names];
}
