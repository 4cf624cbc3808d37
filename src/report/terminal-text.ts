/** The text renderers' name for the one escaping function of captured text (src/captured-text.ts). */
export { escapeCaptured as escapeForTerminal } from '../captured-text.js';
