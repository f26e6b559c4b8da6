// Navigation from outside the component tree (sign-out, an expired token): the history entry
// is changed here and preact-iso's LocationProvider, which listens for `popstate`, re-reads it.
// Components use `useLocation().route` instead; links are plain <a> (the provider handles clicks).

/** Goes to `to` inside the app (no reload); `replace` keeps it out of the history. */
export function navigate(to: string, replace = false) {
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  dispatchEvent(new PopStateEvent("popstate"));
}
