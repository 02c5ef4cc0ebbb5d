FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN bash scripts/build.sh && npm prune --omit=dev
ENV NODE_ENV=production
USER node
