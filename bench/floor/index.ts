// The platform floor: a hello-world Worker run under the same runner as the system, so each
// request's CPU can be judged against what the runtime costs by itself.
export default {
  fetch: () => new Response("hello world"),
} satisfies ExportedHandler;
