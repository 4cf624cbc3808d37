/** The library face of pop3scope: the same analysis the command line runs. */
export * from './model.js';
