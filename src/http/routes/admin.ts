import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ConfigError } from '../../config/load.js';
import { GatewayError, type InputProblem } from '../../core/errors.js';
import type { ConfigReloader } from '../../data/config-reload.js';
import { jsonAnswer, operatorErrorResponses, problemAnswer, rateLimitHeaders } from '../schemas/responses.js';
import { operatorSurface } from '../plugins/auth.js';

const reloadSchema = z
  .object({
    applied: z.array(z.string()).describe('Key paths whose new value is in use now (paths only, never values).'),
    needsRestart: z
      .array(z.string())
      .describe('Key paths that changed but take effect only after a restart; the old value stays in use.'),
  })
  .meta({
    id: 'ConfigReload',
    example: { applied: ['providers.polygon.tier', 'routing.strategy'], needsRestart: ['server.port'] },
  });

export const adminRoutes: FastifyPluginAsyncZod<{ reloader: ConfigReloader | null }> = async (app, { reloader }) => {
  operatorSurface(app);
  app.post(
    '/reload',
    {
      schema: {
        summary: 'Reload the configuration file now',
        description:
          'Loads and validates the whole file as at start-up, then swaps it in at once; requests already running ' +
          'finish on the configuration they started with. An invalid file changes nothing (422 naming each bad key). ' +
          'Also on SIGHUP and when the file changes (reload.watch). See docs/operations.md#reloading-the-configuration.',
        tags: ['operations'],
        response: {
          200: jsonAnswer(z.object({ data: reloadSchema }), rateLimitHeaders),
          409: problemAnswer(
            'The gateway was built from a configuration in memory: there is no file.',
            rateLimitHeaders,
          ),
          422: problemAnswer(
            'The file is invalid; `errors` names each bad key. The running one stays.',
            rateLimitHeaders,
          ),
          ...operatorErrorResponses(rateLimitHeaders),
        },
      },
    },
    async () => {
      if (!reloader) {
        throw new GatewayError('GW_RELOAD_UNAVAILABLE', 'this gateway was not started from a configuration file');
      }
      try {
        return { data: await reloader.reload('api') };
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        const errors = error.problems.map(inputProblem);
        throw new GatewayError(
          'GW_CONFIG_INVALID',
          `the configuration file is invalid; the running configuration stays: ${error.problems.join('; ')}`,
          { errors },
        );
      }
    },
  );
};

/** A ConfigError line (`key.path: message`) as a problem entry; a problem with the file as a whole names no key. */
function inputProblem(problem: string): InputProblem {
  const match = /^([^\s:]+): (.*)$/s.exec(problem);
  return match
    ? { in: 'config', field: match[1] ?? '', message: match[2] ?? '' }
    : { in: 'config', field: '(file)', message: problem };
}
