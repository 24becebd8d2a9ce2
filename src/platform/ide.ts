import type { RequestHandler } from 'express';

/** The IDE's first tab: runs as it is, without a token, and says how to get one. */
export const IDE_DEFAULT_QUERY = `# Serenity GraphQL. The catalog needs no sign-in: press ▶ (Ctrl-Enter).
#
# To act as someone, sign in first (outside production the demo accounts are
# printed at start; their password is Serenity-Demo-2026!):
#
#   mutation { login(email: "jane.smith@acme.example", password: "Serenity-Demo-2026!") { accessToken } }
#
# then put its accessToken in the Headers tab below, as
#
#   { "Authorization": "Bearer …" }
#
# and ask for your own things, e.g. { me { email } creditSummary { availableCredits } }.
# Subscriptions run over the WebSocket on this same address.
{
  packages {
    code
    name
    credits
    sessionMinutes
    price { amount currency }
  }
}
`;

/**
 * GraphiQL (offline: its code is inlined) for browsers at GET `path`. The Headers tab starts
 * empty, since a placeholder token makes every request fail, schema loading included; headers
 * are not kept in localStorage, where a bearer token would outlive the tab.
 *
 * Rendered at its first request: GraphiQL's inlined code is a 9 MB module (about 27 MB of heap
 * once loaded), which a server nobody opens the IDE on should not hold.
 */
export function graphiqlPage(path: string): RequestHandler {
  let page: Promise<string> | undefined;
  const render = () =>
    (page ??= import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) =>
      renderGraphiQL({
        title: 'Serenity GraphQL',
        endpoint: path,
        subscriptionsProtocol: 'WS',
        shouldPersistHeaders: false,
        isHeadersEditorEnabled: true,
        defaultQuery: IDE_DEFAULT_QUERY,
      }),
    ));
  return (req, res, next) => {
    // A browser opening the page; the ?query= GraphiQL writes into the address must still get
    // the page on reload. GraphQL clients ask for JSON and go on to the GraphQL handler.
    if (req.accepts(['application/json', 'text/html']) !== 'text/html') return next();
    render().then((html) => res.type('html').send(html), next);
  };
}
