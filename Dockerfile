# One image for the Celerity API and its workers (the command picks the role).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY workflows workflows
COPY activities activities
# No prune: the app this image runs (activities/) needs sharp, a devDependency of the framework.
RUN npx tsc -p tsconfig.build.json
# The workflow code (Celerity's and the app's), bundled once here: workers load it at start
# instead of bundling it (bench/README.md: about half the worker's start time).
RUN node dist/src/cli/main.js bundle -o dist/workflow-bundle.js

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production CELERITY_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
USER node
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["api"]
