import { printSupportedActions } from './list-actions.js';

printSupportedActions();
