import { resolve } from 'node:path';
import nunjucks from 'nunjucks';

/**
 * Nunjucks with the GOV.UK Frontend macros; templates live beside this file (apps/api/src/console/views)
 * and are read from the repository at run time, so the built app needs no copy step.
 */
export function consoleViews(): nunjucks.Environment {
  return nunjucks.configure([resolve('apps/api/src/console/views'), resolve('node_modules/govuk-frontend/dist')], {
    autoescape: true,
    throwOnUndefined: false,
    noCache: false,
  });
}
