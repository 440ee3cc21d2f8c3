var e=new EventSource("/dashboard/events");e.addEventListener("change",()=>postMessage("change"));e.onopen=()=>postMessage("open");e.onerror=()=>postMessage("error");
