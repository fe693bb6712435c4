import { packageProject } from '../../vitest.shared.js';

export default packageProject('hub', { testTimeout: 120_000 });
