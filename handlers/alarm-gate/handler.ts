import { gateDepsFromProcessEnv } from './gate-deps';
import { makeHandler } from './make-handler';

export const handler = makeHandler(gateDepsFromProcessEnv());
