// Types for index.js: everything is declared in parley.d.ts.
export * from './parley';
