// Several instances on PostgreSQL: live events through LISTEN/NOTIFY (the default there).
import { multiInstanceSuite } from './suite.js';

multiInstanceSuite('postgres', {}, 'LISTEN/NOTIFY');
