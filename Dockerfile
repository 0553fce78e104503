# One image for the four apps; the compose file picks the entry point.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The OHIF viewer the api serves at / (an npm package's dist, as `npm start` fetches it).
RUN bash -c 'source scripts/lib.sh && ensure_viewer'
ENV NODE_ENV=production LOG_LEVEL=info
# ts-node with the swc transpiler (no type-check at start); the workflow bundle is built once here.
RUN node -r ts-node/register/transpile-only -r tsconfig-paths/register scripts/bundle-workflows.ts /app/workflow-bundle.js
ENV KRYPTON_WORKFLOW_BUNDLE=/app/workflow-bundle.js
CMD ["node", "-r", "ts-node/register/transpile-only", "-r", "tsconfig-paths/register", "apps/api/src/main.ts"]
