import { interruptedAtEveryStep } from './converge-support.js';

// Issue 13: a deploy killed after each step it reports (its connection closes with the process)
// is repaired by the next deploy. A file of its own, on a target of its own: the system tier runs
// it beside the others (converge-cut.system.test.ts is the other way of interrupting).
interruptedAtEveryStep('kill', 'killed (the connection closes with the process)');
