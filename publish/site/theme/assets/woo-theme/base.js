// mkdocs-material 9.8.2, partials/javascripts/base.html, as a file instead of an inline script, so the
// Content-Security-Policy is script-src 'self' without hashes. The scope, which depends on the page's
// depth, comes from this script element's data-md-scope attribute (resolved against the page address).
__md_scope=new URL(document.currentScript.getAttribute("data-md-scope"),location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
