// mkdocs-material 9.8.2, partials/javascripts/content.html (the second script), as a file instead of an inline script.
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
