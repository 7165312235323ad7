/*
 * Bundles the Excel add-in (addin/) into dist/, which the Express server serves at its root.
 *
 * - One page, taskpane.html, hosts the task pane, the ribbon commands and the custom functions
 *   (the manifest's shared runtime), so they share one signed-in session.
 * - functions.json (custom functions metadata) is generated from the JSDoc in
 *   addin/functions/functions.ts.
 * - manifest.xml is copied with its <Version> set from package.json (the one version the server
 *   also reports in /api/health); in a production build its development address
 *   https://localhost:3000/ is rewritten to ADDIN_BASE_URL when that is set (yo office convention).
 *
 * Needs no certificates and no network: only the server's HTTPS listener needs a certificate.
 */
const path = require('node:path');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const CopyWebpackPlugin = require('copy-webpack-plugin');
const CustomFunctionsMetadataPlugin = require('custom-functions-metadata-plugin');
const { RecordInputsPlugin, buildKey } = require('./tools/addin-inputs');

const DEV_BASE_URL = 'https://localhost:3000/';
/** A change to these invalidates the cache and the record of the last build. */
const BUILD_DEPENDENCIES = [__filename, path.join(__dirname, 'tools', 'addin-inputs.js'), path.join(__dirname, 'package-lock.json')];
const FUNCTIONS_SOURCE = './addin/functions/functions.ts';

/** ADDIN_BASE_URL, checked and ending in "/", or undefined when unset. */
function configuredBaseUrl() {
  const raw = (process.env.ADDIN_BASE_URL || '').trim();
  if (!raw) return undefined;
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(
      `ADDIN_BASE_URL "${raw}" is not an absolute URL. Set it to the address the server is reached at, ` + 'e.g. ADDIN_BASE_URL=https://dcs-excel.example.org/',
    );
  }
  if (url.protocol !== 'https:') {
    throw new Error(`ADDIN_BASE_URL "${raw}" must start with https://: Office loads add-ins only over HTTPS.`);
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** The manifest's four-part <Version> for package.json's three-part version (Office requires n.n.n.n). */
function withPackageVersion(content) {
  const { version } = require('./package.json');
  const core = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!core) throw new Error(`package.json version "${version}" does not start with major.minor.patch`);
  return content.toString().replace(/<Version>[^<]*<\/Version>/, `<Version>${core[1]}.${core[2]}.${core[3]}.0</Version>`);
}

/** The manifest with every development address replaced by the production one. */
function rewriteManifest(content, baseUrl) {
  const origin = new URL(baseUrl).origin;
  return content.toString().replaceAll(DEV_BASE_URL, baseUrl).replaceAll(new URL(DEV_BASE_URL).origin, origin);
}

function config(env, argv) {
  const production = argv.mode === 'production';
  const baseUrl = production ? configuredBaseUrl() : undefined;
  return {
    mode: production ? 'production' : 'development',
    // No .map files in production: they would publish the add-in's source. Development builds
    // keep their maps inside the bundle, so nothing separate is ever served.
    devtool: production ? false : 'inline-source-map',
    context: __dirname,
    entry: {
      taskpane: './addin/taskpane/taskpane.ts',
    },
    output: {
      path: path.resolve(__dirname, 'dist'),
      filename: '[name].js',
      clean: { keep: /DCS\.mez$/ }, // the connector package is built separately (npm run build:connector)
    },
    resolve: {
      extensions: ['.ts', '.js'],
    },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          use: {
            loader: 'ts-loader',
            options: { configFile: path.resolve(__dirname, 'addin/tsconfig.json') },
          },
        },
      ],
    },
    performance: { hints: false },
    // Later builds reuse unchanged modules' results (node_modules/.cache/webpack, one cache per
    // mode); the cache is invalidated by a change to this file or to the lockfile.
    cache: {
      type: 'filesystem',
      name: `${production ? 'production' : 'development'}-${baseUrl ?? 'dev-address'}`,
      buildDependencies: { config: BUILD_DEPENDENCIES },
    },
    plugins: [
      new CustomFunctionsMetadataPlugin({ output: 'functions.json', input: FUNCTIONS_SOURCE }),
      // What this build read and wrote, so that `npm run build:addin` can skip an unchanged build.
      // package.json: its version goes into the manifest.
      new RecordInputsPlugin(buildKey(production ? 'production' : 'development'), [
        ...BUILD_DEPENDENCIES,
        path.resolve(__dirname, FUNCTIONS_SOURCE),
        path.join(__dirname, 'package.json'),
      ]),
      new HtmlWebpackPlugin({
        filename: 'taskpane.html',
        template: './addin/taskpane/taskpane.html',
        chunks: ['taskpane'],
      }),
      new HtmlWebpackPlugin({
        filename: 'help.html',
        template: './addin/help/help.html',
        chunks: [],
      }),
      new CopyWebpackPlugin({
        patterns: [
          { from: 'assets/*.png', to: 'assets/[name][ext]' },
          { from: 'addin/taskpane/taskpane.css', to: 'taskpane.css' },
          // The guides, which the help page links to (served as plain text), and their pictures.
          { from: 'docs/*.md', to: 'docs/[name][ext]' },
          { from: 'docs/images/*.png', to: 'docs/images/[name][ext]' },
          {
            from: 'manifest.xml',
            to: 'manifest.xml',
            transform: (content) => withPackageVersion(baseUrl ? rewriteManifest(content, baseUrl) : content),
          },
        ],
      }),
    ],
  };
}

module.exports = config;
// For the tests of the production manifest rewrite.
module.exports.rewriteManifest = rewriteManifest;
module.exports.configuredBaseUrl = configuredBaseUrl;
module.exports.withPackageVersion = withPackageVersion;
