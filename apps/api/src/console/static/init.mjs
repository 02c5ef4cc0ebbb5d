// Progressive enhancement: every page works without this; with it, GOV.UK components get their behaviour.
import { initAll } from '/console/govuk/govuk-frontend.min.js';
initAll();
