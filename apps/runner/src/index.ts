export { main, mainCommand, run, VERSION } from './main.js';
