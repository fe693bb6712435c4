import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, tryParseDuration } from '@mlperf/core';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
  ])('%s = %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['5 minutes', '5', 'm5', '', '30s5m', '1h 30m', '-5m', '5mm'])('rejects %j', (input) => {
    expect(tryParseDuration(input)).toBeUndefined();
  });

  it('names the input and how to fix it', () => {
    expect(() =>
      parseDuration('5 minutes', 'tests[1].stages[0].duration'),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlperfError: tests[1].stages[0].duration: "5 minutes" is not a duration]`,
    );
  });

  it('formats back to the shortest string', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(5000)).toBe('5s');
    expect(formatDuration(1500)).toBe('1s500ms');
  });
});
