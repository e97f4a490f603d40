// mkdocs-material 9.8.2, partials/javascripts/outdated.html, as a file instead of an inline script. The
// base address comes from this script element's data-md-base attribute.
var el=document.querySelector("[data-md-component=outdated]"),base=new URL(document.currentScript.getAttribute("data-md-base")),outdated=__md_get("__outdated",sessionStorage,base);!0===outdated&&el&&(el.hidden=!1)
