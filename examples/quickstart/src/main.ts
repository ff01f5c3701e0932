import { runExchange } from './exchange.js';
import { printSupportedActions } from './list-actions.js';

printSupportedActions();
await runExchange();
