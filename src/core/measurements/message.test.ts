import { describe, expect, it } from 'vitest';
import { parseMeasurementMessage } from './index.js';

describe('parseMeasurementMessage', () => {
  it('reads one sample (epoch ms, ISO, or on receipt) and a batch of samples', () => {
    expect(parseMeasurementMessage('{"channel":"t","at":1000,"value":1.5}', 9)).toEqual([{ channel: 't', at: 1000, value: 1.5 }]);
    expect(parseMeasurementMessage('{"channel":"t","at":"1970-01-01T00:00:02Z","value":2}', 9)).toEqual([{ channel: 't', at: 2000, value: 2 }]);
    expect(parseMeasurementMessage('{"channel":"t","value":3}', 9)).toEqual([{ channel: 't', at: 9, value: 3 }]);
    expect(parseMeasurementMessage('{"channel":"t","samples":[[1,4],[2,5]]}', 9)).toEqual([{ channel: 't', at: 1, value: 4 }, { channel: 't', at: 2, value: 5 }]);
  });
  it('says what is wrong with a malformed message', () => {
    expect(parseMeasurementMessage('hello', 0)).toMatch(/^not JSON/);
    expect(parseMeasurementMessage('[1]', 0)).toMatch(/expected a JSON object/);
    expect(parseMeasurementMessage('{"value":1}', 0)).toMatch(/^channel:/);
    expect(parseMeasurementMessage('{"channel":"t","value":"1"}', 0)).toMatch(/^value:/);
    expect(parseMeasurementMessage('{"channel":"t","samples":[[1]]}', 0)).toBe('samples[0]: expected [at, value]');
    expect(parseMeasurementMessage('{"channel":"t","at":"soon","value":1}', 0)).toMatch(/^at: 'soon' is not an ISO instant/);
  });
});
