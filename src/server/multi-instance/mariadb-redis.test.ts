// Several instances on MariaDB: live events through Redis pub/sub (QMFG_REDIS_URL set: the default there).
import { multiInstanceSuite } from './suite.js';
import { TEST_REDIS_URL } from './instances.js';

multiInstanceSuite('mysql', { QMFG_REDIS_URL: TEST_REDIS_URL }, 'Redis');
