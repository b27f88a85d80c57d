// MQTT measurement messages (<prefix>/<machine>/measurements), JSON:
//   {"channel":"seal-temp","at":1764770400000,"value":181.5}          (at: epoch ms or ISO; absent = on receipt)
//   {"channel":"seal-temp","samples":[[1764770400000,181.5],[1764770401000,181.6]]}
// Pure: returns the samples, or a string saying what is wrong.
import { DateTime } from 'luxon';

export interface MessageSample {
  channel: string;
  at: number;
  value: number;
}

/** Messages carry at most this many samples (a publisher batching a minute of 100 Hz data fits). */
export const MAX_MESSAGE_SAMPLES = 10_000;

function instantOf(value: unknown, receivedAt: number, where: string): number | string {
  if (value === undefined) return receivedAt;
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value);
  if (typeof value === 'string') {
    const parsed = DateTime.fromISO(value, { setZone: true });
    return parsed.isValid ? parsed.toMillis() : `${where}: '${value.slice(0, 40)}' is not an ISO instant nor epoch milliseconds`;
  }
  return `${where}: must be epoch milliseconds or an ISO instant`;
}

export function parseMeasurementMessage(payload: string, receivedAt: number): MessageSample[] | string {
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return `not JSON: ${payload.slice(0, 80)}`;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'expected a JSON object {channel, at, value} or {channel, samples: [[at, value], …]}';
  const message = body as { channel?: unknown; at?: unknown; value?: unknown; samples?: unknown };
  if (typeof message.channel !== 'string' || message.channel.trim() === '') return 'channel: a channel key is required';
  const channel = message.channel.trim();
  if (message.samples !== undefined) {
    if (!Array.isArray(message.samples) || message.samples.length === 0) return 'samples: a non-empty array of [at, value] pairs';
    if (message.samples.length > MAX_MESSAGE_SAMPLES) return `samples: at most ${MAX_MESSAGE_SAMPLES} per message`;
    const samples: MessageSample[] = [];
    for (const [index, pair] of message.samples.entries()) {
      if (!Array.isArray(pair) || pair.length !== 2) return `samples[${index}]: expected [at, value]`;
      const at = instantOf(pair[0], receivedAt, `samples[${index}][0]`);
      if (typeof at === 'string') return at;
      if (typeof pair[1] !== 'number' || !Number.isFinite(pair[1])) return `samples[${index}][1]: the value must be a finite number`;
      samples.push({ channel, at, value: pair[1] });
    }
    return samples;
  }
  if (typeof message.value !== 'number' || !Number.isFinite(message.value)) return 'value: a finite number is required';
  const at = instantOf(message.at, receivedAt, 'at');
  return typeof at === 'string' ? at : [{ channel, at, value: message.value }];
}
