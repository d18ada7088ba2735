import { gateDepsFromProcessEnv } from '../alarm-gate/gate-deps';
import { makeHandler } from './make-handler';

export const handler = makeHandler(gateDepsFromProcessEnv());
