// Synthetic results directories with known shapes (seeded noise), for analysis and CLI tests.
export * from './synth.js';
export * from './profiles.js';
