import { run } from './run.js';

/** npm run worker: the background jobs only (the notification dispatcher, sweeps), no HTTP; as many as wanted, on the API's database. */
run('worker');
