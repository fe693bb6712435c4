export { standardDfsps, standardSuite, standardTestFileName } from './standard-suite.js';
