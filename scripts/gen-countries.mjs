// Converts the npm package `world-countries` (ODbL-1.0, mledoze/countries) into
// data/countries.json: one record per ISO 3166-1 country with its English names,
// demonyms and alternative spellings. Run once when the package is updated:
//   make data        (installs ui/ dev dependencies, then runs this script)
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "ui", "package.json"));
const countries = require("world-countries");
const pkg = JSON.parse(readFileSync(require.resolve("world-countries/package.json"), "utf8"));

// Latin-script spellings only: the extractor matches English text.
const latin = (s) => /^[\p{Script=Latin}\p{N}\s'’.,()&-]+$/u.test(s) && !/^[A-Z]{2}$/.test(s);
const unique = (xs) => [...new Set(xs.filter(Boolean))];

const out = countries
  .filter((c) => /^[A-Z]{2}$/.test(c.cca2))
  .map((c) => ({
    code: c.cca2,
    code3: c.cca3,
    name: c.name.common,
    official: c.name.official,
    demonyms: unique([c.demonyms?.eng?.m, c.demonyms?.eng?.f]),
    aliases: unique(c.altSpellings.filter(latin).filter((s) => s !== c.name.common && s !== c.name.official)),
    capital: c.capital?.[0] ?? null,
  }))
  .sort((a, b) => a.code.localeCompare(b.code));

const doc = {
  source: `world-countries ${pkg.version} (npm), https://github.com/mledoze/countries`,
  license: "ODbL-1.0 (Open Database License); see data/README.md",
  countries: out,
};
writeFileSync(join(root, "data", "countries.json"), JSON.stringify(doc, null, 1) + "\n");
console.log(`data/countries.json: ${out.length} countries from world-countries ${pkg.version}`);
