// The API documentation at /api/docs: Swagger UI, served by podium itself
// (static/vendor/swagger-ui), started here rather than by an inline script, which
// podium's Content-Security-Policy does not run. A module runs after the deferred
// bundle, so SwaggerUIBundle is there.
const root = document.getElementById("swagger-ui");

window.SwaggerUIBundle({
  url: root.dataset.openapiUrl,
  domNode: root,
  deepLinking: true,
  // No validator badge: it would send the document to a third-party service.
  validatorUrl: null,
  presets: [window.SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
