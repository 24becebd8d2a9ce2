import { describe, expect, it } from 'vitest';
import { EMAIL_SAMPLES } from '../../scripts/email-samples.js';
import { compileEmailTemplates, templatesOf, translateEmailSources } from '../../src/platform/email-templates.js';
import { PREBUILT_DIR, readPrebuiltJson } from '../../src/platform/prebuilt.js';
import { prebuiltManifest } from '../../src/web/pages.js';

/**
 * What `npm run build` saves in dist/prebuilt/ (scripts/build-assets.ts) stands in for the
 * run-time compile exactly; from the sources (npm start, these tests) there is none, and the
 * server compiles and bundles as before. (test/platform/build.test.ts runs the built server.)
 */
describe('prebuilt emails and pages', () => {
  it('the email templates saved as JSON render every sample exactly as the ones compiled through MJML at run time', async () => {
    const saved = JSON.parse(JSON.stringify(await translateEmailSources())) as Awaited<ReturnType<typeof translateEmailSources>>;
    const fromBuild = templatesOf(saved);
    const atRunTime = await compileEmailTemplates();
    expect(fromBuild.names).toEqual(atRunTime.names);
    expect(EMAIL_SAMPLES.length).toBeGreaterThan(10);
    for (const sample of EMAIL_SAMPLES) expect(fromBuild.render(sample.template, sample.data), sample.name).toEqual(atRunTime.render(sample.template, sample.data));
  });

  it('are looked for beside the compiled code only: from src/ there are none', () => {
    expect(PREBUILT_DIR.endsWith('/prebuilt')).toBe(true);
    expect(readPrebuiltJson('emails.json')).toBeUndefined();
    expect(prebuiltManifest()).toBeUndefined();
  });
});
