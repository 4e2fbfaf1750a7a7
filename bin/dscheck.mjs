#!/usr/bin/env node
// The entry's name before it became CommonJS (bin/dscheck.cjs), kept because npx caches the
// bin links of a checkout it ran once (~/.npm/_npx) and does not renew them: an older link
// points here, and would otherwise make `npx dscheck` "not found" after an update.
import "./dscheck.cjs";
