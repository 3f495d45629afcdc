import { defineConfig } from 'vitest/config';

// `npm run check-reference`: checks against reference material kept outside the repository.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/reference/*.check.ts'],
  },
});
