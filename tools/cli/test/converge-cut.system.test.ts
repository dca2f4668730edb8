import { interruptedAtEveryStep } from './converge-support.js';

// Issue 13: a deploy whose connection is cut silently after each step it reports (no FIN, no RST:
// the host keeps the session and the lock), then dies, is repaired by the next deploy, which finds
// the lock stale. A file of its own, on a target of its own (converge-killed.system.test.ts).
interruptedAtEveryStep('cut', 'cut silently (no FIN, no RST: the host keeps the session and the lock), then the deploy dies');
