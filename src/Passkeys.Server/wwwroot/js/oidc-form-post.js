// response_mode=form_post (Oidc/OidcFormPostResponse.cs): posts the authorization response to the
// app at once. A file, not inline script, so the page's CSP (script-src 'self') allows it.
document.getElementById('form-post').submit();
