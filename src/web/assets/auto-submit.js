/* global document */
// Sends the forms marked data-auto-submit: the identity provider's sign-out, which the person asked for
// already on the portal or the office. Without JavaScript the form's own button does the same.
for (const form of document.querySelectorAll("form[data-auto-submit]")) form.submit();
