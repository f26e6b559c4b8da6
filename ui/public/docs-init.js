// Interactive reference over the OpenAPI document generated from the API's zod schemas.
// "Authorize" takes a token from POST /api/v1/auth/login. A file of its own, not an inline
// <script>, because the Content-Security-Policy (ui/public/_headers) allows script from 'self' only.
window.ui = SwaggerUIBundle({
  url: "/api/v1/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  // The pasted token stays in this page's memory: persisted, Swagger UI would keep it in
  // localStorage, which outlives the tab (see NOTES-token-storage.md).
  persistAuthorization: false,
  tryItOutEnabled: true,
  // No "valid" badge: it is an image fetched from validator.swagger.io, a third party that would
  // learn our spec's URL (and that img-src does not allow).
  validatorUrl: null,
});
