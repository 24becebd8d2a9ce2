import { run } from './run.js';

/** npm start: the API (HTTP, GraphQL, and the background jobs unless JOBS=off). */
run('api');
